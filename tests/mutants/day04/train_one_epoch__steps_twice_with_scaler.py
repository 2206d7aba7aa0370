# the reference answer with this mistake: steps twice with scaler
# --- reference
            scaler.update()
# +++ variant
            scaler.update()
            optimizer.step()
