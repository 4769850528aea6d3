# Low-precision formats: round-trip error of float8 / bfloat16 / half, unsigned ints, complex32
torch.manual_seed(0)
w = torch.randn(6, requires_grad=True)
formats = [torch.float16, torch.bfloat16, torch.float8_e4m3fn, torch.float8_e5m2]
for dt in formats:
    q = w.detach().to(dt)
    err = (q.float() - w.detach()).abs().max()
    print(f"{str(dt):22s} max err {err:.5f}")
q8 = w.detach().to(torch.float8_e4m3fn)
u16 = torch.tensor([0, 1000, 65535], dtype=torch.uint16)
u32 = torch.tensor([1, 2**31 + 5], dtype=torch.uint32)
u64 = torch.tensor([7, 2**40], dtype=torch.uint64)
c32 = torch.tensor([1 + 2j, -0.5j], dtype=torch.complex32)
print(u16, u32, u64, c32, sep="\n")
fake_q = w + (w.to(torch.float8_e5m2).float() - w).detach()  # straight-through fake quantization
loss = (fake_q ** 2).sum()
loss.backward()
print(w.grad)
h = w.half()
h2 = (h * h).sum()
h2.backward()
print(h2, w.grad)
