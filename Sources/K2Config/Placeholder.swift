// Placeholder until the K2Config layer lands.
