from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(124)
lstm = nn.LSTM(input_size=3, hidden_size=6, proj_size=2, batch_first=True, num_layers=2)
seqs = torch.randn(3, 5, 3)
lengths = torch.tensor([2, 5, 3])
packed = pack_padded_sequence(seqs, lengths, batch_first=True, enforce_sorted=False)
out_packed, (h_n, c_n) = lstm(packed)
out, out_lens = pad_packed_sequence(out_packed, batch_first=True, total_length=6)
print(out.shape, out_lens, h_n.shape, c_n.shape)
mask = torch.arange(6)[None, :] < out_lens[:, None]
loss = (out.pow(2).sum(-1) * mask).sum() / mask.sum() + h_n[-1].abs().sum()
loss.backward()
print(loss)
print(lstm.weight_hr_l0.grad)
print(lstm.bias_ih_l1.grad[:6])
