torch.manual_seed(50)
cell = nn.Linear(4, 2)
leaf_embed = nn.Embedding(5, 2)


def encode(tree):
    if isinstance(tree, int):
        return leaf_embed(torch.tensor(tree))
    left, right = tree
    return torch.tanh(cell(torch.cat([encode(left), encode(right)])))


tree = ((0, 1), (2, (3, 4)))
root = encode(tree)
loss = root.pow(2).sum()
loss.backward()
print(root)
print(cell.weight.grad)
print(leaf_embed.weight.grad[4])
