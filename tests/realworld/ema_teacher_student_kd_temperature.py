# Knowledge distillation (Hinton et al. 2015) with an EMA teacher


def kd_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1), reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard, soft, hard


@torch.no_grad()
def ema_update(teacher, student, decay=0.9):
    for pt, ps in zip(teacher.parameters(), student.parameters()):
        pt.mul_(decay).add_(ps, alpha=1 - decay)


torch.manual_seed(0)
student = nn.Sequential(nn.Linear(5, 8), nn.Hardswish(), nn.Linear(8, 3))
teacher = nn.Sequential(nn.Linear(5, 8), nn.Hardswish(), nn.Linear(8, 3))
teacher.load_state_dict(student.state_dict())
for p in teacher.parameters():
    p.requires_grad_(False)
opt = torch.optim.AdamW(student.parameters(), lr=0.01, weight_decay=0.05, amsgrad=True)

x = torch.randn(12, 5)
labels = torch.randint(0, 3, (12,))
print(f"{'step':>4} {'total':>8} {'soft':>8} {'hard':>8}")
for step in range(4):
    with torch.no_grad():
        t_logits = teacher(x + 0.1 * torch.randn_like(x))
    s_logits = student(x)
    loss, soft, hard = kd_loss(s_logits, t_logits, labels)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    ema_update(teacher, student)
    print(f"{step:>4} {loss.item():>8.4f} {soft.item():>8.4f} {hard.item():>8.4f}")
print(teacher[0].weight.requires_grad, teacher[0].weight.grad)
print((teacher[2].bias - student[2].bias).abs().max())
