// Placeholder until the K2Engine layer lands.
