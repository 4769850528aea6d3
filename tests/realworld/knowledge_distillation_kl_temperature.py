torch.manual_seed(31)
teacher = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
student = nn.Linear(4, 3)
teacher.eval()
x = torch.randn(8, 4)
labels = torch.randint(0, 3, (8,))
T, alpha = 4.0, 0.7
opt = torch.optim.Adam(student.parameters(), lr=1e-2)
for step in range(3):
    with torch.no_grad():
        teacher_logits = teacher(x)
    student_logits = student(x)
    soft_loss = F.kl_div(
        F.log_softmax(student_logits / T, dim=1),
        F.softmax(teacher_logits / T, dim=1),
        reduction="batchmean",
    ) * (T * T)
    hard_loss = F.cross_entropy(student_logits, labels)
    loss = alpha * soft_loss + (1 - alpha) * hard_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"{step}: soft {soft_loss.item():.4f} hard {hard_loss.item():.4f}")
kl_log_target = nn.KLDivLoss(reduction="sum", log_target=True)(
    F.log_softmax(student_logits, dim=1), F.log_softmax(teacher_logits, dim=1)
)
print(kl_log_target)
print(student.weight.grad)
