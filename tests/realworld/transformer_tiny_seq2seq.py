torch.manual_seed(11)
model = nn.Transformer(
    d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, dropout=0.0, batch_first=True
)
src = torch.randn(2, 5, 8)
tgt = torch.randn(2, 4, 8)
tgt_mask = nn.Transformer.generate_square_subsequent_mask(4)
src_pad = torch.tensor([[False, False, False, True, True], [False] * 5])
out = model(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=src_pad, memory_key_padding_mask=src_pad)
loss = out.pow(2).mean()
loss.backward()
print(out.shape, tgt_mask)
print(model.decoder.layers[0].multihead_attn.in_proj_weight.grad.abs().sum() > 0)
