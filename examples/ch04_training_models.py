"""Chapter 4, Training Models: the book's code with learnflow, printing the numbers the book prints.

The synthetic data are generated exactly as the book's notebook does
(``np.random.seed(42)`` and NumPy's legacy generator), so the deterministic
results reproduce digit for digit: the Normal Equation and LinearRegression
[4.21509616, 2.77011339], batch GD (the same), the hand-written SGD
[4.21076011, 2.74856079], the degree-2 polynomial fit [1.78134581,
0.93366893, 0.56456263], Ridge 1.55071465, Lasso 1.53788174 and ElasticNet
1.54333232 at x=1.5. Stochastic results (SGDRegressor, early stopping) differ
from the book's by the random streams. The iris models: logistic regression
predicts [1, 0] for petal widths [1.7, 1.5] with a boundary near 1.6 cm;
softmax regression (C=10) gives class 2 with probability ~0.9425 for [5, 2]
(the book prints 0.94247; modern lbfgs converges a little further).

Run: ``python examples/ch04_training_models.py [--figures DIR] [--quick]``.
"""

import argparse
import copy
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from learnflow.datasets import load_iris  # noqa: E402
from learnflow.linear_model import (  # noqa: E402
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDRegressor,
)

np.set_printoptions(precision=8, suppress=False)


def linear_regression():
    print("== Normal Equation and LinearRegression ==")
    np.random.seed(42)
    X = 2 * np.random.rand(100, 1)
    y = 4 + 3 * X + np.random.randn(100, 1)
    X_b = np.c_[np.ones((100, 1)), X]
    theta_best = np.linalg.inv(X_b.T.dot(X_b)).dot(X_b.T).dot(y)
    print("theta_best", theta_best.ravel(), "(book: [4.21509616 2.77011339])")
    X_new = np.array([[0], [2]])
    print("predictions", np.c_[np.ones((2, 1)), X_new].dot(theta_best).ravel(), "(book: [4.21509616 9.75532293])")
    lin_reg = LinearRegression().fit(X, y)
    print("LinearRegression", lin_reg.intercept_, lin_reg.coef_.ravel(), lin_reg.predict(X_new).ravel())
    return X, y, X_b


def gradient_descent(X, y, X_b):
    print("\n== Batch, stochastic and mini-batch gradient descent (numpy, as the book writes them) ==")
    eta, n_iterations, m = 0.1, 1000, 100
    theta = np.random.randn(2, 1)  # continues the seed-42 stream, as the notebook does
    for _ in range(n_iterations):
        gradients = 2 / m * X_b.T.dot(X_b.dot(theta) - y)
        theta = theta - eta * gradients
    print("batch GD theta", theta.ravel(), "(book: [4.21509616 2.77011339])")

    n_epochs, t0, t1 = 50, 5, 50
    np.random.seed(42)
    theta = np.random.randn(2, 1)
    for epoch in range(n_epochs):
        for i in range(m):
            random_index = np.random.randint(m)
            xi, yi = X_b[random_index : random_index + 1], y[random_index : random_index + 1]
            gradients = 2 * xi.T.dot(xi.dot(theta) - yi)
            theta = theta - t0 / (epoch * m + i + t1) * gradients
    print("stochastic GD theta", theta.ravel(), "(book: [4.21076011 2.74856079])")

    np.random.seed(42)
    theta = np.random.randn(2, 1)
    t0, t1, t, minibatch_size = 200, 1000, 0, 20  # the notebook's settings
    for epoch in range(50):
        shuffled = np.random.permutation(m)
        X_s, y_s = X_b[shuffled], y[shuffled]
        for i in range(0, m, minibatch_size):
            t += 1
            xi, yi = X_s[i : i + minibatch_size], y_s[i : i + minibatch_size]
            gradients = 2 / minibatch_size * xi.T.dot(xi.dot(theta) - yi)
            theta = theta - t0 / (t + t1) * gradients
    print("mini-batch GD theta", theta.ravel())

    sgd_reg = SGDRegressor(max_iter=50, tol=None, penalty=None, eta0=0.1, random_state=42).fit(X, y.ravel())
    print("SGDRegressor", sgd_reg.intercept_, sgd_reg.coef_, "(book: [4.18380366] [2.74205299], other streams)")


def polynomial_regression(figures):
    print("\n== Polynomial regression and learning curves ==")
    np.random.seed(42)
    m = 100
    X = 6 * np.random.rand(m, 1) - 3
    y = 0.5 * X**2 + X + 2 + np.random.randn(m, 1)
    try:
        from learnflow.preprocessing import PolynomialFeatures

        X_poly = PolynomialFeatures(degree=2, include_bias=False).fit_transform(X)
    except ImportError:
        X_poly = np.c_[X, X**2]
    print("X[0]", X[0], "X_poly[0]", X_poly[0], "(book: [-0.75275929] [-0.75275929 0.56664654])")
    lin_reg = LinearRegression().fit(X_poly, y)
    print("intercept", lin_reg.intercept_, "coef", lin_reg.coef_.ravel(), "(book: 1.78134581, [0.93366893 0.56456263])")
    try:
        from learnflow.model_selection import learning_curve
    except ImportError:
        print("learnflow.model_selection.learning_curve is not available: skipping Figure 4-15")
        return X, y
    sizes, train_scores, valid_scores = learning_curve(
        LinearRegression(), X, y.ravel(), train_sizes=np.linspace(0.1, 1.0, 10), cv=5,
        scoring="neg_mean_squared_error",
    )
    train_rmse, valid_rmse = np.sqrt(-train_scores.mean(axis=1)), np.sqrt(-valid_scores.mean(axis=1))
    print("learning curve (LinearRegression): final train RMSE %.3f, validation RMSE %.3f" % (train_rmse[-1], valid_rmse[-1]))
    if figures:
        plt.figure()
        plt.plot(sizes, train_rmse, "r-+", linewidth=2, label="train")
        plt.plot(sizes, valid_rmse, "b-", linewidth=3, label="val")
        plt.xlabel("Training set size")
        plt.ylabel("RMSE")
        plt.legend()
        plt.savefig(Path(figures) / "ch04_learning_curves.png")
        plt.close()
    return X, y


def regularized_models():
    print("\n== Ridge, Lasso, ElasticNet (notebook data: seed 42, m=20) ==")
    np.random.seed(42)
    m = 20
    X = 3 * np.random.rand(m, 1)
    y = 1 + 0.5 * X + np.random.randn(m, 1) / 1.5
    print("Ridge(alpha=1, cholesky)", Ridge(alpha=1, solver="cholesky").fit(X, y).predict([[1.5]]), "(book: 1.55071465)")
    sgd = SGDRegressor(penalty="l2", random_state=42).fit(X, y.ravel())
    print("SGDRegressor(penalty='l2')", sgd.predict([[1.5]]), "(book: 1.13500145, stochastic and older defaults)")
    print("Lasso(alpha=0.1)", Lasso(alpha=0.1).fit(X, y.ravel()).predict([[1.5]]), "(book: 1.53788174)")
    elastic = ElasticNet(alpha=0.1, l1_ratio=0.5).fit(X, y.ravel())
    print("ElasticNet(alpha=0.1, l1_ratio=0.5)", elastic.predict([[1.5]]), "(book: 1.54333232)")


def early_stopping(X, y, quick):
    print("\n== Early stopping (SGDRegressor, warm_start, one epoch per fit) ==")
    from learnflow.preprocessing import PolynomialFeatures, StandardScaler

    rng = np.random.RandomState(10)
    index = rng.permutation(50)
    X_train, X_val = X[:50][index[:25]], X[:50][index[25:]]
    y_train, y_val = y[:50][index[:25]].ravel(), y[:50][index[25:]].ravel()
    poly = PolynomialFeatures(degree=90, include_bias=False)
    scaler = StandardScaler()
    X_train_poly_scaled = scaler.fit_transform(poly.fit_transform(X_train))
    X_val_poly_scaled = scaler.transform(poly.transform(X_val))
    sgd_reg = SGDRegressor(max_iter=1, tol=None, warm_start=True, penalty=None, learning_rate="constant",
                           eta0=0.0005, random_state=42)
    minimum_val_error, best_epoch, best_model = float("inf"), None, None
    for epoch in range(100 if quick else 1000):
        sgd_reg.fit(X_train_poly_scaled, y_train)  # continues where it left off
        val_error = np.mean((sgd_reg.predict(X_val_poly_scaled) - y_val) ** 2)
        if val_error < minimum_val_error:
            # NOTE: the book's clone(sgd_reg) copies only hyperparameters (spec 7.1): keep the fitted model
            minimum_val_error, best_epoch, best_model = val_error, epoch, copy.deepcopy(sgd_reg)
    print("best epoch", best_epoch, "validation RMSE %.4f" % np.sqrt(minimum_val_error))
    return best_model


def logistic_regression(figures):
    print("\n== Logistic regression on iris petal width ==")
    iris = load_iris()
    X = iris["data"][:, 3:]
    y = (iris["target"] == 2).astype(int)
    log_reg = LogisticRegression().fit(X, y)
    X_new = np.linspace(0, 3, 1000).reshape(-1, 1)
    y_proba = log_reg.predict_proba(X_new)
    boundary = X_new[y_proba[:, 1] >= 0.5][0, 0]
    print("decision boundary %.3f cm (book: about 1.6 cm)" % boundary)
    print("predict([[1.7], [1.5]])", log_reg.predict([[1.7], [1.5]]), "(book: [1 0])")
    if figures:
        plt.figure()
        plt.plot(X_new, y_proba[:, 1], "g-", label="Iris-Virginica")
        plt.plot(X_new, y_proba[:, 0], "b--", label="Not Iris-Virginica")
        plt.legend()
        plt.savefig(Path(figures) / "ch04_logistic.png")
        plt.close()

    print("\n== Softmax regression ==")
    X = iris["data"][:, (2, 3)]
    y = iris["target"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        softmax_reg = LogisticRegression(multi_class="multinomial", solver="lbfgs", C=10).fit(X, y)
    print("predict([[5, 2]])", softmax_reg.predict([[5, 2]]), "(book: [2])")
    print("predict_proba([[5, 2]])", softmax_reg.predict_proba([[5, 2]]),
          "(book: [[6.33134078e-07 5.75276067e-02 9.42471760e-01]])")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", default=None, help="folder to write the figures to (none if omitted)")
    parser.add_argument("--quick", action="store_true", help="fewer early-stopping epochs")
    args = parser.parse_args(argv)
    if args.figures:
        Path(args.figures).mkdir(parents=True, exist_ok=True)
    X, y, X_b = linear_regression()
    gradient_descent(X, y, X_b)
    X_quad, y_quad = polynomial_regression(args.figures)
    regularized_models()
    early_stopping(X_quad, y_quad, args.quick)
    logistic_regression(args.figures)


if __name__ == "__main__":
    main()
