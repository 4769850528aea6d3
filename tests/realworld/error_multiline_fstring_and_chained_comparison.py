# A progress line written as a multi-line f-string whose expression fails on the last epoch (a tensor with more
# than one element formatted with :.4f), after a chained comparison on tensors across lines that works.
torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
for epoch in range(3):
    loss = (w * torch.tensor([1.0, 2.0])).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
    in_range = (0.0
                <= loss.item()
                < 100.0)
    metric = loss if epoch < 2 else w
    print(
        f"epoch {epoch}: in range {in_range}, "
        f"metric {metric:.4f}"
    )
