# Layers wide enough that most gradients are too large to keep for an explanation (read once, then let go):
# the nodes past GRADWALK_EXPLAIN_MAX_NODES are explained by their formulas, leaves included.
layers = []
for _ in range(8):
    layers += [nn.Linear(80, 80), nn.Tanh()]
model = nn.Sequential(*layers)
loss = model(torch.randn(4, 80)).pow(2).mean()
loss.backward()
shared = nn.Linear(80, 80)
twice = shared(shared(torch.randn(2, 80))).sum()  # one leaf reached along two paths
twice.backward()
