# Adam written by hand (Dive into Deep Learning style): params = [w, b], p[:] -= ... under no_grad (two writes a
# step); w's versions were labelled params[0], w an alias.
torch.manual_seed(0)
w = torch.randn(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
params = [w, b]
states = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
hyper = {"lr": 0.1, "t": 1}
X = torch.randn(10, 3)
Y = X @ torch.tensor([[2.0], [-3.4], [1.0]]) + 4.2

def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams["t"])
            s_bias_corr = s / (1 - beta2 ** hyperparams["t"])
            p[:] -= hyperparams["lr"] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyperparams["t"] += 1

for epoch in range(4):
    l = ((X @ w + b - Y) ** 2 / 2).mean()
    l.backward()
    adam(params, states, hyper)
    print(f"epoch {epoch + 1}, loss {l.item():f}")
print(w.T, b)
print(states[0][0].T)
