"""participatiebot's domain library: models, gemeente profiles, rules, planning and documents."""
