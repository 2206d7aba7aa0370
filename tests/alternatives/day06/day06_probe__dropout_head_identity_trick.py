use_cuda = torch.cuda.is_available()
for p in probe_model.parameters():
    p.requires_grad = False
probe_model.eval()
head = nn.Sequential(nn.Dropout(0.5), nn.Linear(1280, 10))
probe_model.classifier = nn.Identity()  # the model now returns its pooled features
if use_cuda:
    probe_model.cuda()
    head.cuda()
with torch.no_grad():
    feats = torch.cat([probe_model(batch.cuda() if use_cuda else batch) for batch in day06_images.split(50)])
probe_model.classifier = head
y = day06_labels.cuda() if use_cuda else day06_labels
torch.manual_seed(1)
opt = torch.optim.SGD(head.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
head.train()
for epoch in range(200):
    opt.zero_grad()
    nn.CrossEntropyLoss()(head(feats), y).backward()
    opt.step()
head.eval()
