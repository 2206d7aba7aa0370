# the reference answer with this mistake: header as data
# --- reference
            self.samples = [(row["filename"], row["label"]) for row in csv.DictReader(f)]
# +++ variant
            self.samples = [(row[0], row[1]) for row in csv.reader(f)]
