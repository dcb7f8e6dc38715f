"""The review page: a local web app (Flask, bound to 127.0.0.1) where an analyst accepts,
rejects or corrects the candidates of a dataset's review queue (:mod:`stats.candidates`).

* :mod:`stats.review.store` -- ``decisions.csv``: read the queue with its latest decisions,
  append decisions atomically;
* :mod:`stats.review.app` -- :func:`create_app` (the Flask app) and :func:`serve`.
"""
