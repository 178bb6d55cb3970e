"""Moving projects between laptops: import (bundles and write-ups), export, and the reconcile rule
that tells an edit from a conflict so that nothing is dropped."""
