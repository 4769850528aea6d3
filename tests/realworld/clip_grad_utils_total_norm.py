from torch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
x = torch.randn(16, 4) * 10
loss = model(x).pow(2).mean()
loss.backward()
before = parameters_to_vector([p.grad for p in model.parameters()]).norm()
total = clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type=2.0, foreach=True)
after = parameters_to_vector([p.grad for p in model.parameters()]).norm()
print(f"{before.item():.4f} {total.item():.4f} {after.item():.4f}")
inf_total = clip_grad_norm_(model.parameters(), max_norm=0.1, norm_type="inf")
print(round(inf_total.item(), 4))
clip_grad_value_(model.parameters(), clip_value=0.01)
print(max(p.grad.abs().max().item() for p in model.parameters()))
grads = [p.grad for p in model.parameters()]
n = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
torch.nn.utils.clip_grads_with_norm_(model.parameters(), max_norm=0.001, total_norm=n)
print(round(torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]).item(), 6))
