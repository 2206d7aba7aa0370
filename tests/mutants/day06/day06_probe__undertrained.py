# the reference answer, but the head is hardly trained: 3 steps of plain SGD at a small rate
# --- reference
head_optimizer = torch.optim.Adam(probe_model.classifier.parameters(), lr=3e-3, weight_decay=1e-3)
for step in range(300):
# +++ variant
head_optimizer = torch.optim.SGD(probe_model.classifier.parameters(), lr=1e-3)
for step in range(3):
