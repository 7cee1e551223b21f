// Placeholder until the K2Context layer lands.
