from torch.func import functional_call, grad_and_value, hessian, vmap

torch.manual_seed(132)
model = nn.Linear(2, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
xs = torch.randn(6, 2)
ys = torch.randn(6, 1)


def loss_fn(p, x, y):
    pred = functional_call(model, p, (x,))
    loss = F.mse_loss(pred, y)
    return loss, pred.detach()


g, (loss, preds) = grad_and_value(loss_fn, has_aux=True)(params, xs, ys)
print(f"{loss.item():.5f}", g["weight"], g["bias"])
H = hessian(lambda w: loss_fn({"weight": w, "bias": params["bias"]}, xs, ys)[0])(params["weight"])
print(H.shape, torch.allclose(H, H.transpose(0, 2).transpose(1, 3), atol=1e-6))
per_ex = vmap(lambda x, y: grad_and_value(loss_fn, has_aux=True)(params, x[None], y[None])[1][0], in_dims=(0, 0), chunk_size=2)(xs, ys)
print(per_ex.squeeze())
