class ShapeError(Exception):
    pass


w = torch.ones(2, 2, requires_grad=True)
try:
    y = w @ torch.ones(3)
except RuntimeError as err:
    print("caught:", type(err).__name__)
    try:
        raise ShapeError("matmul failed") from err
    except ShapeError as wrapped:
        print(wrapped, type(wrapped.__cause__).__name__)
loss = (w @ torch.ones(2)).sum()
loss.backward()
print(w.grad)
raise SystemExit(3)
