// Placeholder until the K2Server layer lands.
