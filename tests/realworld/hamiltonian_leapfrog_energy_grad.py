# Hamiltonian dynamics with autograd forces: dq/dt = dH/dp, dp/dt = -dH/dq, energy printed each step
torch.manual_seed(0)
k = torch.tensor(2.0, requires_grad=True)

def hamiltonian(q, p):
    return 0.5 * p ** 2 + 0.5 * k * q ** 2

q = torch.tensor(1.0, requires_grad=True)
p = torch.tensor(0.0, requires_grad=True)
dt = 0.1
for step in range(5):
    H = hamiltonian(q, p)
    dHdq, dHdp = torch.autograd.grad(H, (q, p), create_graph=True)
    p_half = p - 0.5 * dt * dHdq
    q = q + dt * p_half
    dHdq_new, = torch.autograd.grad(hamiltonian(q, p_half), q, create_graph=True)
    p = p_half - 0.5 * dt * dHdq_new
    print(f"t={dt * (step + 1):.1f} q={q.item():+.5f} p={p.item():+.5f} H={hamiltonian(q, p).item():.6f}")
final_energy = hamiltonian(q, p)
final_energy.backward()
print("dE/dk", k.grad)
