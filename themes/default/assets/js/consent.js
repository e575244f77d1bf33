// Cookie consent.
