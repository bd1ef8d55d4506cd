// A spin box for a positive quantity shown and typed with SI prefixes:
// "10 MS/s", "2.5 kS/s"; it also takes "1e6", "250k", "1.5 M".
#pragma once

#include <QDoubleSpinBox>

class SiSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit SiSpinBox(const QString &unit, QWidget *parent = nullptr);

protected:
    QString textFromValue(double v) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;

private:
    // The value of text, or NaN if it is not a number (with a prefix and
    // the unit, both optional).
    double parse(const QString &text) const;

    QString unit_;
};
