# A training loop that crashes at the third batch: a token id equal to the vocabulary size reaches nn.Embedding
# (the classic off-by-one when the vocabulary was built without the padding token). The loss of the two batches
# before it printed; the error's line is the model call inside the loop.
torch.manual_seed(0)
vocab_size = 10
model = nn.Sequential(nn.Embedding(vocab_size, 4), nn.Flatten(), nn.Linear(12, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
batches = [torch.tensor([[1, 2, 3]]), torch.tensor([[4, 5, 9]]), torch.tensor([[7, 10, 2]]), torch.tensor([[0, 0, 0]])]
labels = torch.tensor([1])
for step, ids in enumerate(batches):
    opt.zero_grad()
    logits = model(ids)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")
print("never reached")
