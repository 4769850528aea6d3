torch.manual_seed(135)
weights = [torch.randn(2, 2, requires_grad=True), torch.randn(2, requires_grad=True)]
x = torch.randn(4, 2)
y = torch.randn(4, 2)
for step in range(3):
    loss = ((x @ weights[0] + weights[1] - y) ** 2).mean()
    grads = torch.autograd.grad(loss, weights, create_graph=True)
    for i in range(len(weights)):
        weights[i] = weights[i] - 0.1 * grads[i]
    print(step, f"{loss.item():.5f}")
final = ((x @ weights[0] + weights[1] - y) ** 2).mean()
final.backward()
print(weights[0])
