# check my hand-written momentum against torch.optim.SGD
torch.manual_seed(0)
w_hand = torch.randn(3, requires_grad=True)
w_opt = w_hand.detach().clone().requires_grad_(True)
x = torch.randn(5, 3)
y = torch.randn(5)
velocity = torch.zeros(3)
opt = torch.optim.SGD([w_opt], lr=0.1, momentum=0.9, nesterov=False)
for step in range(4):
    loss_hand = ((x @ w_hand - y) ** 2).mean()
    loss_hand.backward()
    with torch.no_grad():
        velocity = 0.9 * velocity + w_hand.grad if step > 0 else w_hand.grad.clone()
        w_hand -= 0.1 * velocity
        w_hand.grad.zero_()
    loss_opt = ((x @ w_opt - y) ** 2).mean()
    opt.zero_grad()
    loss_opt.backward()
    opt.step()
    print(step, round(loss_hand.item(), 6), round(loss_opt.item(), 6), torch.allclose(w_hand, w_opt))
buf = opt.state[w_opt]["momentum_buffer"]
print(buf, velocity)
