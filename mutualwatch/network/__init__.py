"""The branch network: branches whose employers are co-operative councils, their meetings,
shared practice and shared cases."""
