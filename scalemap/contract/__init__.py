"""What Python and the browser share, each defined once here and read by the JavaScript in
assets/core/: the payload's columns (payload), the view and its URL (view), human units (units)."""
