# The mean teacher as old forum posts write it: detach_() on the teacher's parameters, load_state_dict, a .data EMA
# (what the teacher made was said cut off by load_state_dict's torch.no_grad(), not by the code's .detach_()).
# EMA teacher (mean teacher), the old-forum way with .data and no torch.no_grad()
torch.manual_seed(34)
student = nn.Linear(3, 2)
teacher = nn.Linear(3, 2)
for t_param in teacher.parameters():
    t_param.detach_()
teacher.load_state_dict(student.state_dict())
opt = torch.optim.SGD(student.parameters(), lr=0.5)
alpha = 0.99
for step in range(2):
    x = torch.randn(4, 3)
    cons = F.mse_loss(student(x).softmax(1), teacher(x + 0.1 * torch.randn_like(x)).softmax(1))
    opt.zero_grad()
    cons.backward()
    opt.step()
    for ema_param, param in zip(teacher.parameters(), student.parameters()):
        ema_param.data.mul_(alpha).add_(param.data, alpha=1 - alpha)
print(teacher.weight)
print(teacher.weight.requires_grad, cons.item())
