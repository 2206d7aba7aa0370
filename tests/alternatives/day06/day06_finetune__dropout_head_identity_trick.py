use_cuda = torch.cuda.is_available()
for p in day06_model.parameters():
    p.requires_grad = False
day06_model.eval()
head = nn.Sequential(nn.Dropout(0.5), nn.Linear(1280, 10))
day06_model.classifier = nn.Identity()  # the model now returns its pooled features
if use_cuda:
    day06_model.cuda()
    head.cuda()
with torch.no_grad():
    feats = torch.cat([day06_model(batch.cuda() if use_cuda else batch) for batch in day06_images.split(50)])
day06_model.classifier = head
y = day06_labels.cuda() if use_cuda else day06_labels
torch.manual_seed(1)
opt = torch.optim.SGD(head.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
head.train()
for epoch in range(200):
    opt.zero_grad()
    nn.CrossEntropyLoss()(head(feats), y).backward()
    opt.step()
head.eval()
