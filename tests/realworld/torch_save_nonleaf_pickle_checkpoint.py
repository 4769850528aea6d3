import io
import pickle

torch.manual_seed(0)
model = nn.Linear(3, 2)
x = torch.randn(4, 3)
out = model(x)
loss = out.square().mean()
loss.backward()

buf = io.BytesIO()
torch.save({"step": 1, "out": out, "loss": loss, "state": model.state_dict()}, buf)
print("bytes > 0:", buf.tell() > 0)
buf.seek(0)
ckpt = torch.load(buf, weights_only=True)
print(ckpt["out"].requires_grad, ckpt["out"].grad_fn, ckpt["loss"].item() == loss.item())
print(sorted(ckpt["state"]))

raw = pickle.dumps(model.weight)
w_copy = pickle.loads(raw)
print(type(w_copy).__name__, w_copy.requires_grad, w_copy.grad)
print(torch.equal(w_copy, model.weight))
try:
    pickle.dumps(out)
except RuntimeError as e:
    print("pickle non-leaf:", str(e)[:60])
restored = nn.Linear(3, 2)
restored.load_state_dict(ckpt["state"])
print(torch.allclose(restored(x), out))
