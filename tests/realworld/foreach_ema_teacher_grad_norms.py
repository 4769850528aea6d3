import copy

torch.manual_seed(65)
student = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
teacher = copy.deepcopy(student)
for p in teacher.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD(student.parameters(), lr=0.1)
x = torch.randn(5, 3)
for step in range(3):
    noisy = x + 0.05 * torch.randn_like(x)
    consistency = F.mse_loss(student(noisy), teacher(x))
    sup = student(x).logsumexp(dim=1).mean()
    loss = sup + consistency
    opt.zero_grad()
    loss.backward()
    norms = torch._foreach_norm([p.grad for p in student.parameters()])
    print(step, [round(n.item(), 4) for n in norms])
    opt.step()
    with torch.no_grad():
        t_params = list(teacher.parameters())
        s_params = list(student.parameters())
        torch._foreach_mul_(t_params, 0.9)
        torch._foreach_add_(t_params, s_params, alpha=0.1)
print(teacher[0].weight)
print(student[2].bias.grad)
