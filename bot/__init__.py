"""participatiebot: the interview engine, storage, channels and command line."""
