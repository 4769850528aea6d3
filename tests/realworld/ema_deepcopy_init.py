import copy
torch.manual_seed(36)
student = nn.Sequential(nn.Linear(2, 4), nn.GELU(), nn.Linear(4, 1))
nn.init.xavier_uniform_(student[0].weight)
nn.init.zeros_(student[2].bias)
teacher = copy.deepcopy(student)
for p in teacher.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD(student.parameters(), lr=0.5)
batch = torch.randn(6, 2)
for step in range(2):
    loss = F.mse_loss(student(batch), teacher(batch).detach() + 1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for t_p, s_p in zip(teacher.parameters(), student.parameters()):
            t_p.mul_(0.9).add_(s_p, alpha=0.1)
print(round(loss.item(), 5), teacher[2].bias)
