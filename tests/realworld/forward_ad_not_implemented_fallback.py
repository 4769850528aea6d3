import torch.autograd.forward_ad as fwAD

torch.manual_seed(0)
primal = torch.randn(3, 3)
tangent = torch.randn(3, 3)

with fwAD.dual_level():
    dual = fwAD.make_dual(primal, tangent)
    out = dual.sin() @ dual.T
    p, t = fwAD.unpack_dual(out)
    print("jvp of sin(X) X^T:\n", t)
    expected = (primal.cos() * tangent) @ primal.T + primal.sin() @ tangent.T
    print(torch.allclose(t, expected, atol=1e-6))
    logdet = torch.logdet(dual @ dual.T + 3 * torch.eye(3))
    print("d logdet:", fwAD.unpack_dual(logdet).tangent)
    ranks = []
    for op in (torch.linalg.eigvals, torch.histc, torch.kthvalue):
        try:
            res = op(dual) if op is not torch.kthvalue else op(dual, 2)
            r = res[0] if isinstance(res, tuple) else res
            ranks.append((op.__name__, fwAD.unpack_dual(r).tangent is not None))
        except (RuntimeError, NotImplementedError) as e:
            ranks.append((op.__name__, type(e).__name__))
    print(ranks)
    u = fwAD.unpack_dual(dual.argmax())
    print(u.primal, u.tangent)
