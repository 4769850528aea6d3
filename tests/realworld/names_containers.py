torch.manual_seed(22)

class State:
    pass

state = State()
weights = {"w1": torch.randn(3, 3, requires_grad=True), "w2": torch.randn(3, 1, requires_grad=True)}
x = torch.randn(4, 3)
hidden, = [x @ weights["w1"]]
state.h = torch.tanh(hidden)
out, = (state.h @ weights["w2"],)
layers = [torch.relu(out), torch.sigmoid(out)]
pair = (layers[0] * 2, layers[1] + 1)
total = sum(t.sum() for t in pair)
total.backward()
print(weights["w1"].grad.shape, float(total) > 0)
