from mutualwatch.cli import main

main()
