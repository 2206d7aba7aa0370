# the reference answer with this mistake: keeps live state dict
# --- reference
            torch.save(model.state_dict(), checkpoint_path)
# +++ variant
            best_state = model.state_dict()
    torch.save(best_state, checkpoint_path)
