"""Chapter 5, Support Vector Machines: the figures 5-1 to 5-11 and exercises 8-10 with learnflow.

Usage::

    python examples/ch05_svm.py [--out DIR] [--data DIR] [--quick]

Figures are written as PNG files to ``--out`` (default ./learnflow-output/ch05);
the numbers the chapter and its notebook quote are printed. ``--data`` is the
offline dataset folder (MNIST test set and housing); ``--quick`` skips the
slowest MNIST fit.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from learnflow.datasets import fetch_mnist, load_housing, load_iris, make_moons  # noqa: E402
from learnflow.linear_model import SGDClassifier  # noqa: E402
from learnflow.metrics import accuracy_score, mean_squared_error  # noqa: E402
from learnflow.metrics.pairwise import rbf_kernel  # noqa: E402
from learnflow.model_selection import train_test_split  # noqa: E402
from learnflow.pipeline import Pipeline  # noqa: E402
from learnflow.preprocessing import PolynomialFeatures, StandardScaler  # noqa: E402
from learnflow.svm import SVC, SVR, LinearSVC, LinearSVR  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


# ---------------------------------------------------------------------------
# Plot helpers
# ---------------------------------------------------------------------------


def plot_street(ax, w, b, xmin, xmax, support_vectors=None):
    """Decision boundary w0 x0 + w1 x1 + b = 0 and the margins at +-1."""
    x0 = np.linspace(xmin, xmax, 200)
    boundary = -w[0] / w[1] * x0 - b / w[1]
    margin = 1 / w[1]
    ax.plot(x0, boundary, "k-", linewidth=2)
    ax.plot(x0, boundary + margin, "k--", linewidth=2)
    ax.plot(x0, boundary - margin, "k--", linewidth=2)
    if support_vectors is not None:
        ax.scatter(support_vectors[:, 0], support_vectors[:, 1], s=180, facecolors="#FFAAAA")


def plot_contours(ax, model, axes):
    x0, x1 = np.meshgrid(np.linspace(axes[0], axes[1], 100), np.linspace(axes[2], axes[3], 100))
    grid = np.c_[x0.ravel(), x1.ravel()]
    ax.contourf(x0, x1, model.predict(grid).reshape(x0.shape), cmap=plt.cm.brg, alpha=0.2)
    ax.contourf(x0, x1, model.decision_function(grid).reshape(x0.shape), cmap=plt.cm.brg, alpha=0.1)


def plot_dataset(ax, X, y, axes):
    ax.plot(X[:, 0][y == 0], X[:, 1][y == 0], "bs")
    ax.plot(X[:, 0][y == 1], X[:, 1][y == 1], "g^")
    ax.axis(axes)
    ax.grid(True)


def save(fig, out, name):
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=80)
    plt.close(fig)
    print(f"  saved {name}.png")


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def iris_data():
    iris = load_iris()
    return np.asarray(iris["data"])[:, (2, 3)], np.asarray(iris["target"])


def figure_5_1(out):
    X, y = iris_data()
    mask = (y == 0) | (y == 1)
    X, y = X[mask], y[mask]
    clf = SVC(kernel="linear", C=float("inf")).fit(X, y)
    print(f"Q5.6 hard margin: w = {clf.coef_[0].round(4)}, b = {clf.intercept_.round(4)}, "
          f"{len(clf.support_)} support vectors {clf.support_vectors_.tolist()}")
    fig, axes = plt.subplots(1, 2, figsize=(12, 3))
    x0 = np.linspace(0, 5.5, 200)
    for line, style in [(5 * x0 - 20, "g--"), (x0 - 1.8, "m-"), (0.1 * x0 + 0.5, "r-")]:
        axes[0].plot(x0, line, style, linewidth=2)
    for ax in axes:
        plot_dataset(ax, X, y, [0, 5.5, 0, 2])
    plot_street(axes[1], clf.coef_[0], clf.intercept_[0], 0, 5.5, clf.support_vectors_)
    save(fig, out, "fig5-1_large_margin_classification")


def figure_5_2(out):
    Xs = np.array([[1, 50], [5, 20], [3, 80], [5, 60]], dtype=float)
    ys = np.array([0, 0, 1, 1])
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.2))
    clf = SVC(kernel="linear", C=100).fit(Xs, ys)
    plot_dataset(axes[0], Xs, ys, [0, 6, 0, 90])
    plot_street(axes[0], clf.coef_[0], clf.intercept_[0], 0, 6, clf.support_vectors_)
    X_scaled = StandardScaler().fit_transform(Xs)
    clf_scaled = SVC(kernel="linear", C=100).fit(X_scaled, ys)
    plot_dataset(axes[1], X_scaled, ys, [-2, 2, -2, 2])
    plot_street(axes[1], clf_scaled.coef_[0], clf_scaled.intercept_[0], -2, 2, clf_scaled.support_vectors_)
    save(fig, out, "fig5-2_sensitivity_to_feature_scales")


def figure_5_3(out):
    X, y = iris_data()
    mask = (y == 0) | (y == 1)
    X, y = X[mask], y[mask]
    X_out = np.array([[3.4, 1.3], [3.2, 0.8]])
    y_out = np.array([0, 0])
    Xo1, yo1 = np.concatenate([X, X_out[:1]]), np.concatenate([y, y_out[:1]])
    Xo2, yo2 = np.concatenate([X, X_out[1:]]), np.concatenate([y, y_out[1:]])
    clf = SVC(kernel="linear", C=1e9).fit(Xo2, yo2)
    fig, axes = plt.subplots(1, 2, figsize=(12, 2.7))
    plot_dataset(axes[0], Xo1, yo1, [0, 5.5, 0, 2])
    axes[0].annotate("Outlier", xy=(X_out[0, 0], X_out[0, 1]), xytext=(2.5, 1.7), arrowprops={"shrink": 0.1})
    axes[0].text(0.3, 1.0, "Impossible!", fontsize=24, color="red")
    plot_dataset(axes[1], Xo2, yo2, [0, 5.5, 0, 2])
    plot_street(axes[1], clf.coef_[0], clf.intercept_[0], 0, 5.5, clf.support_vectors_)
    save(fig, out, "fig5-3_sensitivity_to_outliers")


def figure_5_4(out):
    X, y = iris_data()
    y = (y == 2).astype(int)
    scaler = StandardScaler().fit(X)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.2))
    for ax, C in zip(axes, [100, 1]):
        svm = LinearSVC(C=C, loss="hinge", random_state=42, max_iter=10000).fit(scaler.transform(X), y)
        # back to the unscaled space: w / s and b - w . (m / s)
        w = svm.coef_[0] / scaler.scale_
        b = svm.intercept_[0] - svm.coef_[0] @ (scaler.mean_ / scaler.scale_)
        t = y * 2 - 1
        violators = X[(t * (X @ w + b)) < 1]
        plot_dataset(ax, X, y, [4, 6, 0.8, 2.8])
        plot_street(ax, w, b, 4, 6, violators)
        ax.set_title(f"C = {C}")
    pipe = Pipeline([("scaler", StandardScaler()), ("svc", LinearSVC(C=1, loss="hinge", random_state=42))])
    print(f"Q5.1 LinearSVC(C=1, hinge) predict([[5.5, 1.7]]) = {pipe.fit(X, y).predict([[5.5, 1.7]])}")
    save(fig, out, "fig5-4_regularization")


def figure_5_5(out):
    X1D = np.linspace(-4, 4, 9).reshape(-1, 1)
    X2D = np.c_[X1D, X1D**2]
    y = np.array([0, 0, 1, 1, 1, 1, 1, 0, 0])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    axes[0].plot(X1D[y == 0, 0], np.zeros(4), "bs")
    axes[0].plot(X1D[y == 1, 0], np.zeros(5), "g^")
    axes[0].grid(True)
    plot_dataset(axes[1], X2D, y, [-4.5, 4.5, -1, 17])
    axes[1].plot([-4.5, 4.5], [6.5, 6.5], "r--", linewidth=3)
    save(fig, out, "fig5-5_higher_dimensions")


def moons():
    X, y = make_moons(n_samples=100, noise=0.15, random_state=42)
    return np.asarray(X), np.asarray(y)


def figure_5_6(out):
    X, y = moons()
    clf = Pipeline([
        ("poly", PolynomialFeatures(degree=3)),
        ("scaler", StandardScaler()),
        ("svm", LinearSVC(C=10, loss="hinge", random_state=42, max_iter=20000)),
    ]).fit(X, y)
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_contours(ax, clf, [-1.5, 2.5, -1, 1.5])
    plot_dataset(ax, X, y, [-1.5, 2.5, -1, 1.5])
    print(f"Fig 5-6 polynomial-features LinearSVC on moons: accuracy {clf.score(X, y):.3f}")
    save(fig, out, "fig5-6_moons_polynomial_svc")


def figure_5_7(out):
    X, y = moons()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (d, r) in zip(axes, [(3, 1), (10, 100)]):
        clf = Pipeline([("scaler", StandardScaler()), ("svm", SVC(kernel="poly", degree=d, coef0=r, C=5))]).fit(X, y)
        plot_contours(ax, clf, [-1.5, 2.5, -1, 1.5])
        plot_dataset(ax, X, y, [-1.5, 2.5, -1, 1.5])
        ax.set_title(f"d={d}, r={r}, C=5")
    save(fig, out, "fig5-7_moons_kernelized_polynomial_svc")


def figure_5_8(out):
    X1D = np.linspace(-4, 4, 9).reshape(-1, 1)
    y = np.array([0, 0, 1, 1, 1, 1, 1, 0, 0])
    gamma, landmarks = 0.3, np.array([[-2.0], [1.0]])
    features = rbf_kernel(X1D, landmarks, gamma=gamma)
    print(f"Q5.2 similarity features of x=-1: {rbf_kernel([[-1.0]], landmarks, gamma=gamma).round(8)}")
    x_plot = np.linspace(-4.5, 4.5, 200).reshape(-1, 1)
    curves = rbf_kernel(x_plot, landmarks, gamma=gamma)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    axes[0].plot(x_plot, curves[:, 0], "g--", x_plot, curves[:, 1], "b:")
    axes[0].plot(X1D[y == 0, 0], np.zeros(4), "bs", X1D[y == 1, 0], np.zeros(5), "g^")
    plot_dataset(axes[1], features, y, [-0.1, 1.1, -0.1, 1.1])
    save(fig, out, "fig5-8_kernel_method")


def figure_5_9(out):
    X, y = moons()
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    for ax, (gamma, C) in zip(axes.ravel(), [(0.1, 0.001), (0.1, 1000), (5, 0.001), (5, 1000)]):
        clf = Pipeline([("scaler", StandardScaler()), ("svm", SVC(kernel="rbf", gamma=gamma, C=C))]).fit(X, y)
        plot_contours(ax, clf, [-1.5, 2.5, -1, 1.5])
        plot_dataset(ax, X, y, [-1.5, 2.5, -1, 1.5])
        ax.set_title(f"gamma={gamma}, C={C}")
    save(fig, out, "fig5-9_moons_rbf_svc")


def figure_5_10(out):
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(50, 1)
    y = (4 + 3 * X + rng.randn(50, 1)).ravel()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, epsilon in zip(axes, [1.5, 0.5]):
        reg = LinearSVR(epsilon=epsilon, random_state=42).fit(X, y)
        print(f"Q5.10 LinearSVR(epsilon={epsilon}): w = {reg.coef_.round(4)}, b = {reg.intercept_.round(4)}")
        plot_svm_regression(ax, reg, X, y, epsilon, [0, 2, 3, 11])
    save(fig, out, "fig5-10_svm_regression")


def plot_svm_regression(ax, reg, X, y, epsilon, axes):
    x1s = np.linspace(axes[0], axes[1], 100).reshape(100, 1)
    y_pred = reg.predict(x1s)
    off_street = np.abs(y - reg.predict(X)) >= epsilon
    ax.plot(x1s, y_pred, "k-", linewidth=2)
    ax.plot(x1s, y_pred + epsilon, "k--", x1s, y_pred - epsilon, "k--")
    ax.scatter(X[off_street], y[off_street], s=180, facecolors="#FFAAAA")
    ax.plot(X, y, "bo")
    ax.axis(axes)
    ax.set_title(f"epsilon={epsilon}")


def figure_5_11(out):
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(100, 1) - 1
    y = (0.2 + 0.1 * X + 0.5 * X**2 + rng.randn(100, 1) / 10).ravel()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, C in zip(axes, [100, 0.01]):
        reg = SVR(kernel="poly", degree=2, C=C, epsilon=0.1, gamma="auto").fit(X, y)
        plot_svm_regression(ax, reg, X, y, 0.1, [-1, 1, 0, 1])
        ax.set_title(f"degree=2, C={C}, epsilon=0.1")
    save(fig, out, "fig5-11_svm_with_polynomial_kernel")


# ---------------------------------------------------------------------------
# Exercises
# ---------------------------------------------------------------------------


def exercise_8():
    """LinearSVC, SVC(linear) and SGDClassifier agree on a linearly separable set (Q5.9)."""
    X, y = iris_data()
    mask = (y == 0) | (y == 1)
    X, y = X[mask], y[mask]
    C, alpha = 5, 1 / (5 * len(X))
    X_scaled = StandardScaler().fit_transform(X)
    models = {
        "LinearSVC": LinearSVC(loss="hinge", C=C, random_state=42),
        "SVC": SVC(kernel="linear", C=C),
        "SGDClassifier": SGDClassifier(loss="hinge", learning_rate="constant", eta0=0.001, alpha=alpha,
                                       max_iter=1000, tol=None, random_state=42),  # the notebook runs 100,000 epochs
    }
    print("Exercise 8 (book: LinearSVC b=0.28475 w=[1.05365 1.09904]; SVC b=0.31896852 w=[1.1203284 1.02625193])")
    for name, model in models.items():
        model.fit(X_scaled, y)
        print(f"  {name:14s} b = {np.ravel(model.intercept_)[0]:.5f}, w = {np.ravel(model.coef_).round(5)}")


def mnist_split(data):
    X, y = fetch_mnist(data_home=data / "mnist", subset="test", return_X_y=True, download_if_missing=False)
    X = np.asarray(X, dtype=np.float64) / 255.0
    return train_test_split(X, np.asarray(y), train_size=8000, test_size=2000, stratify=y, random_state=42)


def exercise_9(data, quick):
    """SVM classifiers on the MNIST test-set split (8,000 / 2,000, stratified, seed 42)."""
    X_train, X_test, y_train, y_test = mnist_split(data)
    print("Exercise 9 (scikit-learn: SVC(C=5, gamma='scale') 0.971, SVC(C=5, gamma=0.005) 0.9515)")
    models = {"LinearSVC (scaled)": Pipeline([("scaler", StandardScaler()), ("svc", LinearSVC(random_state=42))]),
              "SVC(C=5, gamma=0.005)": SVC(C=5, gamma=0.005)}
    if not quick:
        models["SVC(C=5, gamma='scale')"] = SVC(C=5, gamma="scale")
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        print(f"  {name:24s} test accuracy {accuracy:.4f} ({time.perf_counter() - start:.1f} s)")


def housing_split(data, n_train=None):
    housing = load_housing()
    frame = housing["data"].select_dtypes("number")
    X = frame.fillna(frame.median()).to_numpy(dtype=np.float64)
    y = np.asarray(housing["target"], dtype=np.float64) / 100_000
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    if n_train:
        X_train, y_train = X_train[:n_train], y_train[:n_train]
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def exercise_10(data, quick):
    """SVM regressors on the housing data (target in $100,000s)."""
    X_train, X_test, y_train, y_test = housing_split(data, n_train=2000 if quick else 5000)
    print(f"Exercise 10 on {len(X_train)} training districts (notebook: LinearSVR RMSE 0.977, RBF SVR 0.5929)")
    for name, model in {"LinearSVR": LinearSVR(random_state=42, max_iter=5000),
                        "SVR(rbf, C=4.7454, gamma=0.07969)": SVR(C=4.7454, gamma=0.07969)}.items():
        model.fit(X_train, y_train)
        rmse = np.sqrt(mean_squared_error(y_test, model.predict(X_test)))
        print(f"  {name:34s} test RMSE {rmse:.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("learnflow-output") / "ch05")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for figure in [figure_5_1, figure_5_2, figure_5_3, figure_5_4, figure_5_5, figure_5_6, figure_5_7,
                   figure_5_8, figure_5_9, figure_5_10, figure_5_11]:
        figure(args.out)
    exercise_8()
    if (args.data / "mnist").is_dir():
        exercise_9(args.data, args.quick)
    if (args.data / "housing").is_dir():
        exercise_10(args.data, args.quick)


if __name__ == "__main__":
    main()
