torch.manual_seed(10)
clf = nn.Linear(3, 2)

@torch.inference_mode()
def predict(batch):
    return clf(batch).softmax(-1)

probs = predict(torch.randn(2, 3))
print(probs.requires_grad, probs.is_inference())
xb = torch.randn(2, 3)
logits = clf(xb)
loss = F.cross_entropy(logits, torch.tensor([0, 1]))
loss.backward()
print(clf.bias.grad)
try:
    (probs * clf.weight[:, 0]).sum().backward()
except RuntimeError as e:
    print(type(e).__name__)
