from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)
batch = torch.randn(3, 4, 2)
lengths = torch.tensor([4, 2, 3])
proj = nn.Linear(2, 3)
packed = pack_padded_sequence(batch, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
projected = PackedSequence(
    torch.tanh(proj(packed.data)), packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices
)
gru = nn.GRU(3, 2, batch_first=True)
out_packed, h_n = gru(projected)
out, out_lengths = pad_packed_sequence(out_packed, batch_first=True, padding_value=0.0)
print(out.shape, out_lengths)
mask = torch.arange(out.size(1))[None, :] < out_lengths[:, None]
loss = (out.pow(2).sum(-1) * mask).sum() / mask.sum()
loss.backward()
print(round(loss.item(), 5))
print(proj.weight.grad)
