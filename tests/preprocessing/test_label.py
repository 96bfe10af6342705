"""LabelEncoder and LabelBinarizer against scikit-learn."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import preprocessing as skp

from learnflow.preprocessing import LabelBinarizer, LabelEncoder


@pytest.mark.parametrize("y", [[3, 1, 2, 3, 1], ["tokyo", "paris", "paris", "amsterdam"], [2.5, 1.5, 2.5]])
def test_label_encoder_matches_sklearn(y):
    ours, theirs = LabelEncoder().fit(y), skp.LabelEncoder().fit(y)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_array_equal(ours.transform(y), theirs.transform(y))
    np.testing.assert_array_equal(LabelEncoder().fit_transform(y), skp.LabelEncoder().fit_transform(y))
    np.testing.assert_array_equal(ours.inverse_transform([0, 1]), theirs.inverse_transform([0, 1]))


def test_label_encoder_errors():
    le = LabelEncoder().fit(["a", "b"])
    with pytest.raises(ValueError, match=r"y contains previously unseen labels: \['c'\]"):
        le.transform(["a", "c"])
    with pytest.raises(ValueError, match="previously unseen labels"):
        le.inverse_transform([5])


@pytest.mark.parametrize(
    "y", [[1, 2, 6, 4, 2], ["yes", "no", "no"], [0, 0, 0], [[1, 0, 1], [0, 1, 1]]],
    ids=["multiclass", "binary", "one-class", "multilabel"],
)
@pytest.mark.parametrize("labels", [(0, 1), (-1, 1), (-2, 5)])
def test_label_binarizer_matches_sklearn(y, labels):
    neg, pos = labels
    ours = LabelBinarizer(neg_label=neg, pos_label=pos).fit(y)
    theirs = skp.LabelBinarizer(neg_label=neg, pos_label=pos).fit(y)
    assert ours.y_type_ == theirs.y_type_
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    Y = ours.transform(y)
    np.testing.assert_array_equal(Y, theirs.transform(y))
    np.testing.assert_array_equal(ours.inverse_transform(Y), theirs.inverse_transform(theirs.transform(y)))


def test_label_binarizer_unseen_labels_and_sparse_output():
    lb, sk = LabelBinarizer().fit([1, 2, 3]), skp.LabelBinarizer().fit([1, 2, 3])
    np.testing.assert_array_equal(lb.transform([4, 1]), sk.transform([4, 1]))
    out = LabelBinarizer(sparse_output=True).fit([1, 2, 3]).transform([3, 1])
    assert sp.issparse(out)
    np.testing.assert_array_equal(out.toarray(), sk.transform([3, 1]))
    scores = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]])
    np.testing.assert_array_equal(lb.inverse_transform(scores), sk.inverse_transform(scores))


def test_label_binarizer_errors():
    with pytest.raises(ValueError, match="must be strictly less than"):
        LabelBinarizer(neg_label=1, pos_label=0).fit([0, 1])
    with pytest.raises(ValueError, match="Sparse binarization"):
        LabelBinarizer(neg_label=-1, sparse_output=True).fit([0, 1])
    with pytest.raises(ValueError, match="Multioutput target data is not supported"):
        LabelBinarizer().fit([[1, 2], [3, 4]])


def test_book_first_edition_label_binarizer_on_ocean_proximity(shared_datasets):
    import pandas as pd

    housing_cat = pd.read_csv(shared_datasets / "housing" / "housing.csv")["ocean_proximity"]
    ours, theirs = LabelBinarizer().fit(housing_cat), skp.LabelBinarizer().fit(housing_cat)
    one_hot = ours.transform(housing_cat)
    assert one_hot.shape == (20640, 5)
    np.testing.assert_array_equal(one_hot, theirs.transform(housing_cat))
    np.testing.assert_array_equal(LabelEncoder().fit_transform(housing_cat), skp.LabelEncoder().fit_transform(housing_cat))
