// Placeholder until the K2Provider layer lands.
