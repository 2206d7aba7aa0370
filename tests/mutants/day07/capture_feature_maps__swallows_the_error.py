# the reference answer with this mistake: swallows the error
# --- reference
            model(x)
# +++ variant
            model(x)
    except Exception:
        return {}
