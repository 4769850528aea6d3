# Forward-mode AD as dual numbers: a directional derivative of a small network's output, read with unpack_dual,
# against the same number from reverse mode (J^T v dotted with the direction).
import torch.autograd.forward_ad as fwAD

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 5), nn.Softplus(), nn.Linear(5, 1))
primal = torch.randn(4)
tangent = torch.tensor([1.0, 0.0, -1.0, 0.5])
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = net(dual_input)
    out_primal, jvp = fwAD.unpack_dual(dual_output)
    print("tangent is None outside the input:", fwAD.unpack_dual(net[0].weight).tangent is None)
x = primal.clone().requires_grad_()
y = net(x)
y.backward()
print(f"forward mode {jvp.item():.6f}")
print(f"reverse mode {(x.grad @ tangent).item():.6f}")
print(torch.allclose(out_primal, y.detach()))
