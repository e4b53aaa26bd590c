"""The guidance library (motions, pledges, policy, guidance, briefings, legal notes, every
version kept) and the positions of the actors in the debate, side by side."""
