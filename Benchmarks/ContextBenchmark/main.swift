// Placeholder until the context benchmark lands.
print("benchmark")
