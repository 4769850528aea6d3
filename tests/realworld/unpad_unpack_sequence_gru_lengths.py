from torch.nn.utils.rnn import pad_sequence, pack_sequence, unpack_sequence, unpad_sequence

torch.manual_seed(4)
seqs = [torch.randn(n, 3) for n in (4, 2, 3)]
lengths = torch.tensor([len(s) for s in seqs])
gru = nn.GRU(3, 2)
packed = pack_sequence(seqs, enforce_sorted=False)
out_packed, h_n = gru(packed)
outs = unpack_sequence(out_packed)
for s, o in zip(seqs, outs):
    print(tuple(s.shape), "->", tuple(o.shape))

padded = pad_sequence(seqs)
back = unpad_sequence(padded, lengths)
print(all(torch.equal(a, b) for a, b in zip(seqs, back)))
loss = sum(o[-1].pow(2).sum() for o in outs) + h_n.abs().sum()
loss.backward()
print(loss)
print(gru.weight_hh_l0.grad)
