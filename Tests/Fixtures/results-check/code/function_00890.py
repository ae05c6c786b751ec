def __init__(self, anchor_widget, text, hover_delay=1000):
    super().__init__(anchor_widget, hover_delay=hover_delay)
    self.text = text
