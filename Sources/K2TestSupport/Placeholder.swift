// Placeholder until the K2TestSupport layer lands.
