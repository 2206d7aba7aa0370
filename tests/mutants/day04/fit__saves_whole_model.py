# the reference answer with this mistake: saves whole model
# --- reference
            torch.save(model.state_dict(), checkpoint_path)
# +++ variant
            torch.save(model, checkpoint_path)
