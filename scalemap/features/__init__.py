"""What a user sees, built from the dataset and the view: figure skeletons (charts), trend fits,
the frontier counts, stats cards, the pinned comparison, compute estimates, an uploaded file
(upload) and exports."""
