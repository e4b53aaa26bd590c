"""The readable difference between two versions: a pure function of two texts."""

from mutualwatch.guidance.diff import diff_texts, normalised, quoted_in, tokens


def test_words_added_and_removed_are_marked_and_counted():
    diff = diff_texts(
        "This will save money for the council.", "This will not save money for anyone."
    )
    assert diff.html == (
        "This will<ins> not</ins> save money for <del>the council.</del><ins>anyone.</ins>"
    )
    assert (diff.added, diff.removed) == (2, 2)
    assert diff.summary == "2 words added, 2 removed."


def test_the_text_is_escaped_inside_and_outside_the_marks():
    diff = diff_texts("<b>a</b> & b", "<b>a</b> & <script>c</script>")
    assert "<script>" not in diff.html
    assert "&lt;script&gt;c&lt;/script&gt;" in diff.html
    assert diff.html.startswith("&lt;b&gt;a&lt;/b&gt; &amp; ")


def test_no_change_says_so_and_whitespace_alone_is_not_a_word():
    assert diff_texts("same words", "same words").summary == "No change in the words."
    spaced = diff_texts("same words", "same\n\nwords")
    assert (spaced.added, spaced.removed) == (0, 0)
    assert "<ins>" not in spaced.html


def test_one_word_added_is_singular():
    assert diff_texts("a b", "a b c").summary == "1 word added, 0 removed."


def test_tokens_join_back_into_the_text():
    text = "  Conference notes\n\nthe continued   promotion.\t"
    assert "".join(tokens(text)) == text


def test_a_quote_is_found_whitespace_aside_but_word_for_word():
    text = "This will not only save money,\nbut also help build stronger communities."
    assert quoted_in("save money, but  also help", text)
    assert normalised("  a \n b ") == "a b"
    assert not quoted_in("save money and also help", text)
    assert not quoted_in("   ", text)
